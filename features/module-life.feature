@sim @virtual-clock
Feature: Every cut reaches the charger, whatever the owner and the hardware do
  The module must keep the main fuse through a settings change, hours at zero, a hanging dongle and a
  charger that reports nonsense. These scenarios run the real module (meter on TCP, OCPP central system,
  store, HTTP API) with simulated OCPP charge points on real websockets whose cars' current flows back
  into the simulated meter, on a virtual clock about a hundred times faster than real time. Every check
  reads the simulated physics: the meter's line currents and the charger's pilot.

  Background:
    Given a house on a three-phase 400 V supply with a 25 A main fuse, run by the module on a virtual clock

  Scenario: The owner changes the target while the oven is on
    Given a car charges at 16 A on a three-phase charger "cp1"
    When the oven comes on with 4.5 kW on line 1
    And a moment later the owner saves a 5.0 kW target on the dashboard
    Then line 1 is back under its fuse within 8 seconds
    And for the next 2 minutes line 1 stays under its fuse
    And charger "cp1" offers what the module decided

  Scenario: The car is held at zero for ten minutes
    Given a car charges at 16 A on a three-phase charger "cp1"
    When the oven comes on with 4.5 kW on line 1
    Then charger "cp1" offers 0 A within 8 seconds
    And line 1 is back under its fuse within 8 seconds
    And for the next 10 minutes charger "cp1" keeps offering 0 A, long past its 2-minute OCPP lease
    And for the same 10 minutes line 1 stays under its fuse

  Scenario: The dongle freezes
    Given a car charges at 16 A on a three-phase charger "cp1"
    When the dongle freezes, repeating its last telegram for 60 seconds
    Then within 15 seconds charger "cp1" offers no more than its safe current of 6 A
    And the dashboard says the meter's data are stale
    And charger "cp1" gets no more than 6 A until the dongle recovers
    And the car on "cp1" charges above its safe current again within 2 minutes

  Scenario: The charger reports nonsense
    Given a car charges on a three-phase charger "cp1" and another on a single-phase charger "cp2" on line 1
    When charger "cp2" reports 16000 A on its line for a minute
    Then within 5 seconds the dashboard says charger "cp2"'s measurement is implausible
    And for the rest of that minute, while the car on "cp2" still draws, charger "cp1" is not offered more than before
    And during that minute line 1 stayed under its fuse
