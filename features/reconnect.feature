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

  @sim @live
  Scenario: The charger's connection drops and comes back
    Given a house on a three-phase 400 V supply with a 25 A main fuse
    And the meter in the meter cupboard is talking in real time
    And the module is running on the meter's cable with a charger "cp1" of 6 to 16 A on all three lines
    And the charger drops its connection every 15 seconds for 3 seconds
    When a car plugs into charger "cp1"
    Then the car is charging within 60 seconds
    And after the charger comes back the module gives it its limit again within 10 seconds

  @sim @live
  Scenario: The charger reconnects and the car keeps charging
    Given a house on a three-phase 400 V supply with a 25 A main fuse
    And the meter in the meter cupboard is talking in real time
    And the module is running on the meter's cable with a charger "cp1" of 6 to 16 A on all three lines
    And the charger drops its connection every 20 seconds for 3 seconds
    When a car plugs into charger "cp1"
    Then the car is charging within 60 seconds
    And the car keeps charging at its limit while the charger drops out 2 times
