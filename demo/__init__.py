"""The demo organisation: every tab of a believable community association, generated from a
seed (see `demo.organisation`)."""

from .organisation import (
    BAD_AMOUNT,
    BAD_DATE,
    BAD_HOURS,
    BAD_START,
    DEFAULT_AS_OF,
    DEMO_KEY,
    FORMULA_NOTE,
    ORG_ADDRESS,
    ORG_NAME,
    PLANTED_LOOKALIKES,
    PLANTED_PROBLEMS,
    TIME_ZONE,
    UNKNOWN_PERSON,
    DemoSize,
    PlantedProblem,
    demo_workbook,
)

__all__ = [
    "BAD_AMOUNT",
    "BAD_DATE",
    "BAD_HOURS",
    "BAD_START",
    "DEFAULT_AS_OF",
    "DEMO_KEY",
    "FORMULA_NOTE",
    "ORG_ADDRESS",
    "ORG_NAME",
    "PLANTED_LOOKALIKES",
    "PLANTED_PROBLEMS",
    "TIME_ZONE",
    "UNKNOWN_PERSON",
    "DemoSize",
    "PlantedProblem",
    "demo_workbook",
]
