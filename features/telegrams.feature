@telegrams
Feature: The house understands its meter
  Every second the meter tells the house what it measures over the P1 cable. The module must understand
  every meter an owner can have, and shrug off what a long cable and a cheap dongle do to the bytes:
  a damaged telegram is thrown away, never half-believed, and the next one is read as usual.

  @any-target
  Scenario: Telegrams keep coming, every one of them intact, for five minutes
    Given the meter in the meter cupboard is sending telegrams
    When the house listens to the meter for 5 minutes of meter time
    Then a valid telegram arrived at least once per meter interval
    And no telegram failed its checksum

  @any-target
  Scenario: The house plugs in halfway through a telegram
    Given the meter in the meter cupboard is sending telegrams
    When the house plugs in while a telegram is on its way
    Then the next telegram is read normally
    And each telegram is newer than the one before

  @sim
  Scenario Outline: Every meter model the owner can have is understood
    Given a simulated "<model>" meter whose P1 port is open
    When the house listens to the meter for 3 telegrams
    Then every telegram was understood as a "<protocol>" meter with checksum "<checksum>"
    And the meter introduces itself the way its model does
    And the house sees <phases> phases with their current, and their voltage: <voltage>
    And the meter's energy registers only go up

    Examples:
      | model       | protocol | checksum | phases | voltage |
      | fluvius-1ph | emucs    | valid    | 1      | yes     |
      | fluvius-3ph | emucs    | valid    | 3      | yes     |
      | dsmr5       | dsmr     | valid    | 3      | yes     |
      | dsmr4       | dsmr     | valid    | 3      | no      |
      | dsmr22      | dsmr     | absent   | 0      | no      |
      | smarty      | smarty   | valid    | 3      | yes     |

  @sim
  Scenario: A Belgian meter tells the house its capacity-tariff figures
    Given a simulated "fluvius-3ph" meter whose P1 port is open
    When the house listens to the meter for 3 telegrams
    Then the house knows the running quarter-hour average and the month's peak

  @sim
  Scenario Outline: A damaged telegram is thrown away and the next one is read
    Given a simulated "fluvius-3ph" meter whose P1 port is open
    And the house is listening to the meter
    When the cable damages a telegram with <damage>
    Then the house throws that telegram away as "<reason>"
    And the next telegram is read normally

    Examples:
      | damage          | reason       |
      | a flipped bit   | crc_mismatch |
      | a cut-off tail  | truncated    |

  @sim
  Scenario: Noise on the cable between telegrams does no harm
    Given a simulated "fluvius-3ph" meter whose P1 port is open
    And the house is listening to the meter
    When the cable adds noise between telegrams
    Then the next telegram is read normally
    And no telegram failed its checksum

  @sim @failing-path
  Scenario: A cable that damages every telegram leaves the house without a reading
    Given a simulated "fluvius-3ph" meter whose every telegram fails its checksum
    When the house listens to the meter for 10 seconds of meter time
    Then the house has no valid reading
    And the house says it gets bytes but no valid telegram

  @sim @failing-path
  Scenario: A meter whose P1 port is still closed sends nothing at all
    Given a simulated "fluvius-3ph" meter whose P1 port is closed
    When the house listens to the meter for 5 seconds of meter time
    Then the house has no valid reading
    And the house says it gets no bytes at all
    And not a single byte reached the house
