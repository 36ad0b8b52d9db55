@activation
Feature: Opening the P1 port at the grid operator
  Nothing works until the owner has opened the P1 port on Fluvius's portal. The steps are slow, need the
  contract holder's approval and a wait of up to 72 hours. The assistant shows where the owner is, what to do
  next, what each dot means, remembers the progress between visits, and ends when the meter talks.

  @sim
  Scenario: The contract holder opens the port himself and the dot turns green at once
    Given the owner has not started opening the P1 port yet
    When the owner tells the assistant:
      | I registered with itsme                                        |
      | I clicked the link in the e-mail                               |
      | I logged in                                                    |
      | I typed EAN 541448820000123455                                 |
      | the portal listed my meter                                     |
      | I requested it as the contract holder and the dot turned green |
    Then the assistant is at "approved"
    And the assistant shows the green dot
    And the assistant says "Click the green dot next to your EAN code."

  @sim
  Scenario: A tenant waits for the holder's approval by e-mail, then switches the port on
    Given the owner has told the assistant:
      | I registered with eID                |
      | I clicked the link in the e-mail     |
      | I logged in                          |
      | I typed EAN 541448820000987651       |
      | the portal listed my meter           |
      | I requested it and the dot is orange |
    And the assistant shows the orange dot
    When the owner tells the assistant:
      | the holder approved by the e-mail link |
      | I switched the port on                 |
      | the portal says In aanvraag            |
    Then the assistant is at "in-aanvraag"
    And the assistant says "In aanvraag since"
    And the assistant says "Should be open by"

  @sim
  Scenario: Approval by the code in the letter, after a wrong code
    Given the owner has told the assistant:
      | I registered with itsme              |
      | I clicked the link in the e-mail     |
      | I logged in                          |
      | I typed EAN 541448820000123455       |
      | the portal listed my meter           |
      | I requested it and the dot is orange |
    When the owner tells the assistant:
      | the code from the letter was refused |
    Then the assistant is at "requested"
    And the assistant explains the refusal as "wrong-letter-code"
    And the assistant says "The activation code is wrong. Copy it exactly from the letter."
    When the owner tells the assistant:
      | the holder entered the code from the letter |
    Then the assistant is at "approved"
    And the assistant remembers no refusal

  @sim @failing-path
  Scenario: An EAN with a mistyped digit is caught before the portal sees it
    Given the owner has told the assistant:
      | I registered with itsme          |
      | I clicked the link in the e-mail |
      | I logged in                      |
    When the owner tells the assistant:
      | I typed EAN 541448820000123456 |
    Then the assistant says "The check digit does not match: a digit was copied wrongly."
    And the assistant is at "logged-in"

  @sim @failing-path
  Scenario Outline: An EAN that is not a Belgian electricity code
    When the owner checks the EAN "<code>" from the bill
    Then the module refuses the EAN because "<why>"

    Examples:
      | code                   | why                  |
      | 541448820000123456     | check digit          |
      | 5414488200001234       | 16 digits            |
      | 531448820000123455     | starts with 54       |
      | 54144882000012345X     | digit                |

  @sim
  Scenario: An EAN copied from the bill with spaces and dots
    When the owner checks the EAN "54 1448 8200.0012 3455" from the bill
    Then the module accepts the EAN

  @sim @failing-path
  Scenario: The portal does not know the meter as a digital meter
    Given the owner has told the assistant:
      | I registered with itsme          |
      | I clicked the link in the e-mail |
      | I logged in                      |
      | I typed EAN 541448820000123455   |
    When the owner tells the assistant:
      | the portal refused my EAN |
    Then the assistant explains the refusal as "ean-unknown"
    And the assistant says "The portal does not know this EAN code as a digital meter."

  @sim @failing-path
  Scenario: Logging in before confirming the e-mail address
    When the owner tells the assistant:
      | I registered with itsme |
      | I could not log in      |
    Then the assistant is at "registered"
    And the assistant explains the refusal as "email-not-confirmed"
    And the assistant says "first click the link in the mail from Fluvius"

  @sim @failing-path
  Scenario: Requesting without ticking the consent box
    Given the owner has told the assistant:
      | I registered with itsme          |
      | I clicked the link in the e-mail |
      | I logged in                      |
      | I typed EAN 541448820000123455   |
      | the portal listed my meter       |
    When the owner tells the assistant:
      | the portal asked me to tick the consent box |
    Then the assistant is at "ean-added"
    And the assistant explains the refusal as "consent-missing"
    And the assistant says "Tick the consent box before clicking"

  @sim
  Scenario: The assistant remembers where the owner was
    Given the owner has told the assistant:
      | I registered with itsme          |
      | I clicked the link in the e-mail |
    When the owner opens the assistant again
    Then the assistant is at "email-confirmed"
    And the assistant says "Log in to the portal with your e-mail address"

  @sim @failing-path
  Scenario: "In aanvraag" for more than 72 hours
    Given the owner has told the assistant:
      | I registered with itsme                                        |
      | I clicked the link in the e-mail                               |
      | I logged in                                                    |
      | I typed EAN 541448820000123455                                 |
      | the portal listed my meter                                     |
      | I requested it as the contract holder and the dot turned green |
      | I switched the port on                                         |
      | the portal says In aanvraag                                    |
    When the owner comes back 73 hours later
    Then the assistant is at "overdue"
    And the assistant says "It is taking longer than 72 hours: call Fluvius on 078 35 35 34."

  @sim
  Scenario: Still within the 72 hours
    Given the owner has told the assistant:
      | I registered with itsme                                        |
      | I clicked the link in the e-mail                               |
      | I logged in                                                    |
      | I typed EAN 541448820000123455                                 |
      | the portal listed my meter                                     |
      | I requested it as the contract holder and the dot turned green |
      | I switched the port on                                         |
      | the portal says In aanvraag                                    |
    When the owner comes back 71 hours later
    Then the assistant is at "in-aanvraag"
    And the assistant does not say "call Fluvius on"

  # On the grid operator's (simulated) portal itself: what it accepts, refuses, and when the port opens.

  @sim @portal
  Scenario: The contract holder asks for the port and gets the green dot at once
    Given the grid operator's portal opens ports 6h after they are switched on
    And the contract holder has an account on the portal, registered with itsme
    When the contract holder adds the EAN "5414 4882 0000 0000 15"
    And the contract holder requests the activation after ticking the consent box
    Then the contract holder sees a green dot next to the EAN
    When the contract holder switches the port on
    Then the contract holder sees the port "In aanvraag"
    When 6 hours pass on the portal
    Then the contract holder sees the port "Open"

  @sim @portal
  Scenario: A tenant waits for the holder, who approves by the link in the e-mail
    Given the grid operator's portal opens ports 6h after they are switched on
    And the tenant has an account on the portal, registered with eID
    When the tenant adds the EAN "541448820000000015"
    And the tenant requests the activation after ticking the consent box
    Then the tenant sees an orange dot next to the EAN
    When the contract holder clicks the approval link in the e-mail
    Then the tenant sees a green dot next to the EAN

  @sim @portal @failing-path
  Scenario: A wrong letter code, then the right one
    Given the grid operator's portal opens ports 6h after they are switched on
    And the tenant has an account on the portal, registered with itsme
    When the tenant adds the EAN "541448820000000022"
    And the tenant requests the activation after ticking the consent box
    And the contract holder types the code "000000"
    Then the portal refuses with "wrong-letter-code"
    And the tenant sees an orange dot next to the EAN
    When the contract holder types the code from the letter
    Then the portal accepts
    And the tenant sees a green dot next to the EAN

  @sim @portal @failing-path
  Scenario Outline: The portal refuses an EAN
    Given the grid operator's portal opens ports 6h after they are switched on
    And the tenant has an account on the portal, registered with itsme
    When the tenant adds the EAN "<ean>"
    Then the portal refuses with "<refusal>"

    Examples:
      | ean                | refusal            |
      | 541448820000000016 | ean-invalid-format |
      | 541448820000123455 | ean-unknown        |

  @sim @portal @failing-path
  Scenario: The consent box is not ticked
    Given the grid operator's portal opens ports 6h after they are switched on
    And the tenant has an account on the portal, registered with itsme
    When the tenant adds the EAN "541448820000000015"
    And the tenant requests the activation without ticking the consent box
    Then the portal refuses with "consent-missing"

  @sim @portal @failing-path
  Scenario: Logging in before the e-mail address is confirmed
    Given the grid operator's portal opens ports 6h after they are switched on
    When the tenant registers on the portal with itsme
    And the tenant tries to log in
    Then the portal refuses with "email-not-confirmed"

  @sim @portal @failing-path
  Scenario: Switching the port on before the holder approved
    Given the grid operator's portal opens ports 6h after they are switched on
    And the tenant has an account on the portal, registered with itsme
    When the tenant adds the EAN "541448820000000022"
    And the tenant requests the activation after ticking the consent box
    And the tenant switches the port on
    Then the portal refuses with "impossible-transition"

  @sim @portal @failing-path
  Scenario: The port is still not open after 72 hours
    Given the grid operator's portal never opens the port
    And the contract holder has an account on the portal, registered with itsme
    When the contract holder adds the EAN "541448820000000015"
    And the contract holder requests the activation after ticking the consent box
    And the contract holder switches the port on
    And 73 hours pass on the portal
    Then the contract holder is told the wait is overdue
    And the contract holder sees the port "In aanvraag"

  # The terminal assistant ends by listening to the meter itself.

  @sim
  Scenario: The assistant hears the first telegram and says the port is open
    Given a simulated "fluvius-3ph" meter whose P1 port is open
    And the owner has told the assistant:
      | I registered with itsme                                        |
      | I clicked the link in the e-mail                               |
      | I logged in                                                    |
      | I typed EAN 541448820000123455                                 |
      | the portal listed my meter                                     |
      | I requested it as the contract holder and the dot turned green |
    When the owner tells the assistant, with the P1 cable plugged into the meter:
      | I switched the port on |
      | the portal says Open   |
    Then the assistant is at "verified"
    And the assistant says "First valid telegram received: the P1 port is open and the module reads your meter."

  @sim @failing-path
  Scenario: The assistant hears nothing because the port is still closed
    Given a simulated "fluvius-3ph" meter whose P1 port is closed
    And the owner has told the assistant:
      | I registered with itsme                                        |
      | I clicked the link in the e-mail                               |
      | I logged in                                                    |
      | I typed EAN 541448820000123455                                 |
      | the portal listed my meter                                     |
      | I requested it as the contract holder and the dot turned green |
      | I switched the port on                                         |
    When the owner asks the assistant to listen to the meter for 8 seconds
    Then the assistant says "Is there an arrow above \"GP\" on the meter display?"
    And the assistant is at "switched-on"
