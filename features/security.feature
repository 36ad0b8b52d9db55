@security
Feature: Only the owner reads the meter
  The module can be opened to the home network (http.host 0.0.0.0) so that the owner's phone and home
  automation reach it. Then anyone else on that network, and any web page the owner's browser opens,
  is a stranger: the meter's data shows who is home, and the settings steer the chargers.

  @sim @live
  Scenario: An unknown client cannot read the meter from another machine
    Given a house on a three-phase 400 V supply with a 25 A main fuse
    And the meter in the meter cupboard is talking in real time
    And the module is running on the meter's cable, open to the home network
    When a client on another machine asks every part of the module's API without the token
    Then every answer is a refusal
    And with the owner's token the same client reads the meter
    And a web page under another name cannot read the meter through the owner's browser
