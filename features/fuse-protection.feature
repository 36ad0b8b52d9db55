@balancing @sim
Feature: The main fuse never trips
  A car charging at 16 A on every line leaves little room in a house with a 25 A main fuse. When the oven or
  the kettle comes on, the module must cut the car before the breaker trips, and give the room back when
  they are done, so the car is still full in the morning.

  Rule: The evening oven and the morning kettle share the fuse with a three-phase car

    Background:
      Given a house on a three-phase 400 V supply with a 25 A main fuse
      And the house uses 0.3 kW in the background
      And the oven draws 2.5 kW on line 1 from 18:00 for 40 minutes
      And the kettle draws 2.2 kW on line 2 from 07:00 for 30 minutes, 10 s on and 50 s off
      And a car that needs 40 kWh plugs into a 3-phase charger of 6 to 16 A on all three lines at 17:30 and leaves at 07:30

    Scenario: The oven comes on while the car charges
      When the module balances the house for 24 hours
      Then the main fuse is never overloaded for more than 10 seconds in a row
      And no line ever carries 1.45 times its fuse rating
      And the car gets at least 95 % of the energy the house could have given it
      And the car's limit changes no more than 120 times an hour

    Scenario: The module does at least as well as the usual home chargers' balancing
      When the module balances the house for 24 hours
      And the same house is balanced the way evcc does it
      And the same house is balanced the way SmartEVSE does it
      Then the car gets at least as much energy as with evcc
      And the car gets at least as much energy as with SmartEVSE

    Scenario: A car that draws less than it is offered does not waste the room
      Given that car only draws 70 % of what it is offered
      When the module balances the house for 24 hours
      Then no line ever carries 1.45 times its fuse rating
      And the car gets at least 95 % of the energy the house could have given it

    @failing-path
    Scenario: Without the module the same evening overloads the fuse
      When nobody balances the house for 24 hours
      Then the fuse is overloaded for more than 60 seconds

  Rule: Only the lines the car is on limit it

    Scenario: A single-phase car is not slowed down by the oven on another line
      Given a house on a three-phase 400 V supply with a 25 A main fuse
      And the house uses 0.3 kW in the background
      And the oven draws 4.5 kW on line 1 from 18:00 for 60 minutes
      And a car that needs 20 kWh plugs into a 1-phase charger of 6 to 20 A on line 2 at 17:30 and leaves at 07:30
      When the module balances the house for 24 hours
      Then no line ever carries 1.45 times its fuse rating
      And the car gets at least 95 % of the energy the house could have given it

    Scenario: A house on three-phase 230 V without neutral
      Given a house on a three-phase 230 V without neutral supply with a 25 A main fuse
      And the house uses 0.3 kW in the background
      And the oven draws 3.0 kW on line 1 and line 2 from 18:00 for 40 minutes
      And a car that needs 15 kWh plugs into a 1-phase charger of 6 to 16 A on line 1 and line 2 at 17:30 and leaves at 07:30
      When the module balances the house for 24 hours
      Then the main fuse is never overloaded for more than 10 seconds in a row
      And no line ever carries 1.45 times its fuse rating

  Rule: A house description that cannot be true is refused

    @failing-path
    Scenario: A fuse that does not exist
      Given a house on a three-phase 400 V supply with a 25 A main fuse
      When the house description has "site.fuseA" set to "-25"
      Then the module refuses the house description, naming "site.fuseA"

  Rule: The running module protects the fuse in real time

    @live
    Scenario: The oven comes on while the car charges, and the module cuts the car for the fuse
      Given a house on a three-phase 400 V supply with a 25 A main fuse
      And the house uses 0.4 kW in the background
      And the meter in the meter cupboard is talking in real time
      And the module is running on the meter's cable with a charger "cp1" of 6 to 16 A on all three lines
      When a car plugs into charger "cp1"
      Then the car is charging within 60 seconds
      When the oven turns on with 4.5 kW on line 1
      Then the car's limit drops within 5 seconds, for the fuse on line 1
      And over the next 20 seconds line 1 is above its fuse for no more than 10 seconds
