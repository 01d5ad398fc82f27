"""review: versions of the minutes, the review state, its transitions; recording retention

A version's content is never changed after it was written (trigger refusing UPDATE);
versions go only when their meeting is deleted.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "minutes_versions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("meeting_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=True),
        sa.Column("base_number", sa.Integer(), nullable=True),
        sa.Column("ai_number", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("edit_rate", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "number", name="uq_minutes_versions_number"),
    )
    with op.batch_alter_table("minutes_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_versions_meeting_id"), ["meeting_id"], unique=False
        )
    op.create_table(
        "reviews",
        sa.Column("meeting_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("current_number", sa.Integer(), nullable=True),
        sa.Column("approved_number", sa.Integer(), nullable=True),
        sa.Column("published_number", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id"),
    )
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_events_meeting_id"), ["meeting_id"], unique=False
        )
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("deleted_reason", sa.String(length=20), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER minutes_versions_no_update BEFORE UPDATE ON minutes_versions "
            "BEGIN SELECT RAISE(ABORT, 'minutes versions are never changed'); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION minutes_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'minutes versions are never changed'; END $$"
        )
        op.execute(
            "CREATE TRIGGER minutes_versions_frozen BEFORE UPDATE ON minutes_versions "
            "FOR EACH ROW EXECUTE FUNCTION minutes_versions_frozen()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS minutes_versions_no_update")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS minutes_versions_frozen ON minutes_versions")
        op.execute("DROP FUNCTION IF EXISTS minutes_versions_frozen()")
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.drop_column("deleted_reason")
        batch_op.drop_column("deleted_at")
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_events_meeting_id"))
    op.drop_table("review_events")
    op.drop_table("reviews")
    with op.batch_alter_table("minutes_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_versions_meeting_id"))
    op.drop_table("minutes_versions")
