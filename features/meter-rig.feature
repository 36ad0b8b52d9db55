@hil
Feature: The meter on the rig is the one in the inventory
  The nightly run is only worth something if it reads the meter the inventory describes. These scenarios
  check what only a real meter can tell: who it says it is, and that a load switched on in the house shows
  up on the right line.

  Scenario: The meter identifies itself as the inventory says
    Given the meter in the meter cupboard is sending telegrams
    When the house listens to the meter for 3 telegrams
    Then the meter speaks the protocol and reports the phases the inventory lists

  Scenario: A heater switched on shows up on its line
    Given the rig has a load the house can switch
    And the meter in the meter cupboard is sending telegrams
    And the house is listening to the meter
    When the rig switches the load on
    Then the meter shows the load's power on its line within 3 telegrams
    When the rig switches the load off
    Then the meter shows the load gone from its line within 3 telegrams

  @failing-path
  Scenario: The house is pointed at a P1 cable that is not plugged in
    When the house connects to a P1 cable that is not plugged in
    Then the house says the meter is disconnected
    And the house has no valid reading
