"""Imports every model module so ``Base.metadata`` knows all tables (Alembic, tests)."""

from center_app.db import models  # noqa: F401
from center_app.db import groups  # noqa: F401
from center_app.db import bookings  # noqa: F401
from center_app.db import consultations  # noqa: F401
from center_app.db import events  # noqa: F401
from center_app.db import money  # noqa: F401
from center_app.db import visitors  # noqa: F401
from center_app.db import lottery  # noqa: F401
from center_app.db import lockers  # noqa: F401
from center_app.db import equipment  # noqa: F401
from center_app.db import programs  # noqa: F401
from center_app.db import mailings  # noqa: F401
from center_app.db import summaries  # noqa: F401
