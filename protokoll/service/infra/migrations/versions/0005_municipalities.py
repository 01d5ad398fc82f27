"""municipalities (Mandanten): one installation serves several municipalities

Creates the table with the default municipality "standard" and moves every existing user
and meeting into it; audit entries get a municipality column (part of the hash from now
on; the entries before it stay as they are and count as the default municipality's).

The new columns carry no foreign key: SQLite cannot add a column with a reference and a
default, and recreating `meetings` would cascade into its recordings and jobs. The code
checks the key on every write (`protokoll.service.tenancy`).

Revision ID: 0005
Revises: 0004
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "municipalities",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    op.bulk_insert(
        table,
        [{"id": "standard", "name": "Standard", "settings": {}, "active": True,
          "created_at": now, "updated_at": now}],
    )  # fmt: skip
    # plain ALTER TABLE (no batch: a table copy would lose triggers and cascade deletes)
    op.add_column("users", sa.Column("municipality_id", sa.String(length=40), nullable=True))
    op.execute("UPDATE users SET municipality_id = 'standard'")
    op.create_index("ix_users_municipality_id", "users", ["municipality_id"])
    op.add_column(
        "meetings",
        sa.Column(
            "municipality_id", sa.String(length=40), nullable=False, server_default="standard"
        ),
    )
    op.create_index("ix_meetings_municipality_id", "meetings", ["municipality_id"])
    op.add_column("audit_log", sa.Column("municipality_id", sa.String(length=40), nullable=True))
    op.create_index("ix_audit_log_municipality_id", "audit_log", ["municipality_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_municipality_id", table_name="audit_log")
    op.drop_index("ix_meetings_municipality_id", table_name="meetings")
    op.drop_index("ix_users_municipality_id", table_name="users")
    # native DROP COLUMN (SQLite >= 3.35), again no table copy
    for table in ("audit_log", "meetings", "users"):
        op.drop_column(table, "municipality_id")
    op.drop_table("municipalities")
