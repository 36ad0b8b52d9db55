@balancing @sim
Feature: The sun gives the car room the fuse alone would not
  A single-phase house with a 25 A fuse cannot feed a 32 A car, unless the roof is producing: then the
  module lets the car take what the panels give, and cuts it back as soon as a cloud passes.

  Background:
    Given the day is June 21, 2025
    And a house on a single-phase 230 V supply with a 25 A main fuse
    And the house uses 0.3 kW in the background
    And a car that needs 50 kWh plugs into a 1-phase charger of 6 to 32 A on line 1 at 10:00 and leaves at 17:00

  Scenario: A clear summer day lets the car take more than the fuse alone allows
    Given solar panels of 6.0 kWp on line 1 under clear skies
    When the module balances the house for 24 hours
    Then no line ever carries 1.45 times its fuse rating
    And the main fuse is never overloaded for more than 10 seconds in a row
    And the car gets at least 95 % of the energy the house could have given it
    And the car gets at least 40.0 kWh

  Scenario: Without sun the car gets what the fuse allows
    When the module balances the house for 24 hours
    Then the main fuse is never overloaded for more than 10 seconds in a row
    And the car gets no more than 39.0 kWh

  @failing-path
  Scenario: Clouds come and go all day
    Given solar panels of 6.0 kWp on line 1 under heavy skies
    When the module balances the house for 24 hours
    And the same house is balanced the way SmartEVSE does it
    Then no line ever carries 1.45 times its fuse rating
    And no line carries 1.13 times its fuse rating for more than 60 seconds in the day
    And the main fuse is never overloaded for more than 30 seconds in a row
    And the fuse is overloaded for fewer seconds than with SmartEVSE

  @failing-path
  Scenario: Without the module a passing cloud overloads the fuse
    Given solar panels of 6.0 kWp on line 1 under heavy skies
    When nobody balances the house for 24 hours
    Then the fuse is overloaded for more than 60 seconds
