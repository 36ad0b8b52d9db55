@reconnect
Feature: The house gets its meter back by itself
  Cables get pulled, dongles get replugged, meters go quiet for a while. The module must notice, say what is
  wrong in words the owner can act on, and pick the meter up again without a restart, without losing the
  first telegram after the cable is back.

  @sim
  Scenario: The cable is pulled out and plugged back in
    Given a simulated "fluvius-3ph" meter whose P1 port is open
    And the house is listening to the meter
    When the cable is pulled out for 60 seconds of meter time
    Then the house says the meter is disconnected
    And valid telegrams flow again within 5 seconds of the cable being back
    And the house reconnected once, without a restart

  @sim
  Scenario: The meter goes quiet for two minutes
    Given a simulated "fluvius-3ph" meter whose P1 port is open
    And the house is listening to the meter
    When the meter goes quiet for 120 seconds of meter time
    Then the house says it gets no bytes at all
    And the next telegram is read normally
    And no telegram failed its checksum

  @sim @failing-path
  Scenario: The cable stays out
    Given a simulated "fluvius-3ph" meter whose P1 port is open
    And the house is listening to the meter
    When the cable is pulled out for 3600 seconds of meter time
    Then the house says the meter is disconnected
    And the house has had no new reading for 3 seconds

  @hil @failing-path
  Scenario: The house is pointed at a cable that is not plugged in
    When the house connects to a P1 cable that is not plugged in
    Then the house says the meter is disconnected
    And the house has no valid reading
