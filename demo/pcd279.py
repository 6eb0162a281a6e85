"""PCD 279, "Financial Reporting 2017/18 – Quarter 1", as published by MOPAC: the form text,
recommendations, declarations and signatures, transcribed from its published PDF.

The one deliberate difference: the published recommendations cite paragraphs "2.4-2.5" and "2.6",
which are the wrong paragraphs (the budget movements are 2.6–2.7 and the reserves transfer 2.8).
Here they are structured links, so they read from the paragraphs they point at.
"""

import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

REFERENCE = 279
TITLE = "Financial Reporting 2017/18 - Quarter 1"

EXECUTIVE_SUMMARY = """\
DMPC is asked to note the current year to date financial position, the first 2017/18 forecast \
position and to approve a number of budget and reserve movements. In summary, there is a forecast \
underspend of £32m. The forecast underspend is made up of a £23m in underspend related to police \
officer pay and £9m underspend being a net position of Police Staff and Running Costs underspend, \
Overtime overspend and overachievement of Total Income.

As at Quarter 1, the officer pay actual underspend is £7.1m, with £1.1m of this underspend on \
activities funded by specific grant or 3rd party income. It is proposed that £6m of the officer \
pay underspend (the amount not receiving specific funding) is transferred to reserves, to protect \
this budget for the medium term while addressing the wider funding position.

It is intended that this principle is followed for the remaining quarters and will be monitored \
on a quarterly basis to determine the final amounts to be transferred.

Capital investment is forecast to be £268m, against an approved budget of £366m."""

# (section number, heading, text); paragraphs number themselves in this order.
PARAGRAPHS = [
    (
        1,
        "",
        "As part of MOPAC's and MPS corporate governance arrangements regular monthly and "
        "in-depth quarterly monitoring processes are in place to track spend against budget, "
        "forecast outturn and monitor the achievement of planned savings and income targets.",
    ),
    (
        1,
        "",
        "In line with the Scheme of Delegation and Consent the DMPC is responsible for the "
        "approval of all MPS proposed budget movements and virements in excess of £500,000 which "
        "are highlighted on a monthly basis as part of the monthly budget monitoring report, and "
        "approval of all transfers to and from reserves.",
    ),
    (
        1,
        "",
        "During 2017/18 there are planned improvements to the presentation and publication of "
        "financial and performance information.",
    ),
    (
        2,
        "Revenue",
        "The first quarter forecast year end revenue position is a reported underspend of "
        "£32.2m. Of this, it is forecast £23.4m relates to police officer pay.",
    ),
    (
        2,
        "",
        "As at Quarter 1, the officer pay actual underspend is £7.1m, with £1.1m of this "
        "underspend on activities funded by specific grant or 3rd party income. It is proposed "
        "that £6m of the officer pay underspend (the amount not receiving specific funding) is "
        "transferred to reserves, to protect this budget for the medium term while addressing "
        "the wider funding position.",
    ),
    (
        2,
        "",
        "It is intended that this principle is followed for the remaining quarters and will be "
        "monitored on a quarterly basis to determine the final amounts to be transferred.",
    ),
    (
        2,
        "",
        "Further detail of forecast under and overspends is set out in Annex 1 from pages 35-41.",
    ),
    (
        2,
        "Capital",
        "Capital investment is forecast to be £268m in 2017/18 against an approved budget of "
        "£366m. The major variances are in delays in delivering the MPS property and the "
        "National Counter Terrorism Policing (NCTP) programmes. Further detail is set out in "
        "Annex 1.",
    ),
    (
        2,
        "Budget Movements",
        "Revenue budget movements are set out in Appendix 1 of the attached Annex to\n"
        "- Approve the net increased use of reserves of £10.9m related to the net position of "
        "deferral of planned use of reserves in Major Change programme and firearms uplift, and "
        "the use now of reserves not used in 2016/17 in relation to back office transformation,\n"
        "- Approve the increased application of grants and income and the corresponding "
        "increase in the expenditure budget, of £1.2m,\n"
        "- Approve the housekeeping budgetary changes to re-align budgets to forecast spend;",
    ),
    (
        2,
        "",
        "Capital budget movements are set out in Annex 1, and in summary are re-profiles\n"
        "- Property Services to re-profile the approved Capital Plan for 2017/18 from £159.3m to "
        "£85.3m, and to re-profile the capital receipts budget for 2017/18 from £71m to £32m\n"
        "- Fleet Services to re-profile the approved Capital Plan for 2017/18 from £33.5m to "
        "£31.4m and then increase 2018/19 from £32.8m to £34.4m\n"
        "- NCTPHQ approval to reduce the approved Capital Plan for 2017/18 from £62m to £28.5m",
    ),
    (
        2,
        "Reserves",
        "Approve £6m of the Quarter 1 police pay underspend to be transferred to reserves, in "
        "order to protect this funding for medium term officer recruitment plans.",
    ),
    (
        3,
        "",
        "As this is a financial report the financial implications are contained within the body "
        "of the report.",
    ),
    (
        4,
        "",
        "Under section 3 (6) of the Police Reform and Social Responsibility Act, MOPAC is under a "
        "duty to secure the maintenance of an efficient and effective police force. Under "
        "paragraph 7 of schedule 3 of the 2011 Act MOPAC may do anything which is calculated to "
        "facilitate, or is conductive or incidental to, the exercise of its functions. Under "
        "section 79 of the Act, MOPAC must have regard to the Policing Protocol when exercising "
        "its functions. The Policing Protocol provides that PCCs (including MOPAC) as recipient "
        "of all funding, must determine how this money is spent.",
    ),
    (
        4,
        "",
        "MOPAC/MPS as statutory bodies must only budget for activities that fall within its "
        "statutory powers. Under the Scheme of Delegation and Consent the DMPC must approve any "
        "budget movement for £500,000 or above. Under Financial Regulations all decisions in "
        "relation to the transfer in and out of reserves will be made by the DMPC.",
    ),
    (
        5,
        "",
        "There are no equality or diversity implications arising from this report.",
    ),
    (
        6,
        "",
        "- Appendix 1 – Quarterly Performance Update Report – Q1 2017/18\n"
        "- Appendix 2 – Revenue and reserves",
    ),
]

# (text, indexes into PARAGRAPHS of the linked paragraphs)
RECOMMENDATIONS = [
    ("Note the 2017/18 revenue and capital financial position and forecast.", []),
    ("Approve the budget movements set out in {paragraphs}.", [8, 9]),
    ("Approve the transfer to reserves set out in {paragraphs}.", [10]),
]

# Recommendation 2 ("Approve the budget movements …") approves every line of the budget movements
# table that the Scheme of Delegation reserves to the DMPC.
APPROVING_RECOMMENDATION = 1
ANNEX_EXPLANATION = (
    "As published in PCD 279: the revised budget total of the budget movements (£2,503.7m) and "
    "the revenue position's total net expenditure budget (£2,503.5m) differ by £0.2m in the "
    "published annex."
)

SUBMITTED_AT = datetime.datetime(2017, 10, 19, 10, 0, tzinfo=LONDON)
OFFICER_APPROVED_AT = datetime.datetime(2017, 10, 20, 12, 0, tzinfo=LONDON)
SIGNED_OFF_AT = datetime.datetime(2017, 10, 25, 12, 0, tzinfo=LONDON)
DMPC_INTERESTS = "None"

# A fresh draft for a new user to play with.
DRAFT_TITLE = "London Crime Prevention Fund 2018/19 – co-commissioning round"
DRAFT_SUMMARY = (
    "The DMPC is asked to approve the launch of the 2018/19 co-commissioning round of the London "
    "Crime Prevention Fund."
)
DRAFT_PARAGRAPHS = [
    (
        1,
        "",
        "The London Crime Prevention Fund supports borough crime prevention priorities. "
        "In 2017/18 it allocated £16.8m across the 32 London boroughs.",
    ),
    (
        2,
        "",
        "A share of the fund is set aside for services commissioned jointly by boroughs and MOPAC.",
    ),
]
