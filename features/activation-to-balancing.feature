@e2e @sim
Feature: From a closed P1 port to a balanced evening
  The whole path an owner walks: the port is requested on the grid operator's portal and approved, the owner
  switches it on and waits through "In aanvraag" until "Open"; the meter starts talking, the module sees it
  and marks the port verified; a car plugs in; the oven comes on and the car gives way before the main fuse
  is at risk, and the quarter-hour's average stays under the owner's target. Everything runs in real time.

  Background:
    Given a house on a three-phase 400 V supply with a 25 A main fuse
    And the house uses 0.4 kW in the background
    And the owner's capacity target is 8.0 kW
    And the meter in the meter cupboard still has its P1 port closed
    And the module is running on the meter's cable with a charger "cp1" of 6 to 16 A on all three lines

  Scenario: The port is opened, verified, and the car is balanced around the oven
    Given the grid operator's portal opens ports 6h after they are switched on
    When the contract holder opens the P1 port on the portal, telling the module's assistant each step
    Then the module's assistant is at "in-aanvraag"
    And the module has not heard a single telegram yet
    When 6 hours pass on the portal
    Then the contract holder sees the port "Open"
    And the meter shows the arrow above GP
    And the module marks the port verified within 15 seconds
    When a car plugs into charger "cp1"
    Then the car is charging within 60 seconds
    When the oven turns on with 3.5 kW on line 1
    Then the car's limit drops within 5 seconds
    And over the next 30 seconds line 1 is above its fuse for no more than 10 seconds
    And over the same time the quarter-hour's running average stays under the target

  @failing-path
  Scenario: The port never opens and the owner is told to call the grid operator
    Given the grid operator's portal never opens the port
    When the contract holder opens the P1 port on the portal, telling the module's assistant each step
    And 73 hours pass on the portal
    Then the contract holder is told the wait is overdue
    And the meter does not show the arrow above GP
    And the module has not heard a single telegram yet
    And the module's assistant is not at "verified"
