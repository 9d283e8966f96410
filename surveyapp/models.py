"""Imports every model so that Alembic and ``db.metadata`` see the whole schema."""

from surveyapp.accounts.models import Role, User  # noqa: F401
from surveyapp.api.models import ApiToken  # noqa: F401
from surveyapp.approvals.models import FigureApproval  # noqa: F401
from surveyapp.audit.models import AuditEntry  # noqa: F401
from surveyapp.campaigns.models import (  # noqa: F401
    Campaign,
    CoreMember,
    Material,
    Population,
    Target,
)
from surveyapp.certificates.models import Certificate  # noqa: F401
from surveyapp.classes.models import TrainingClass, class_trainer  # noqa: F401
from surveyapp.contests.entry_models import (  # noqa: F401
    Entry,
    EntryFile,
    JudgeAssignment,
    JudgeScore,
    RubricCriterion,
)
from surveyapp.contests.models import Club, ClubMember, Contest, ContestJudge, Round, School, Team  # noqa: F401,E501
from surveyapp.contests.quiz_models import QuizAttempt  # noqa: F401
from surveyapp.indicators.models import ExampleReview, IndicatorRule  # noqa: F401,E402
from surveyapp.instruments import snapshots  # noqa: F401,E402  (raises items_revision on flush)
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item  # noqa: F401,E402
from surveyapp.localities.models import Locality, LocalityCrosswalk, LocalityScheme  # noqa: F401
from surveyapp.participants.models import Consent, Enrolment, Participant  # noqa: F401,E402
from surveyapp.privacy.models import DataRequest  # noqa: F401,E402
from surveyapp.ratelimit_models import RateLimitCounter  # noqa: F401,E402
from surveyapp.reports.models import ReportCache  # noqa: F401,E402
from surveyapp.responses.models import Answer, ClassForm, Response  # noqa: F401,E402
