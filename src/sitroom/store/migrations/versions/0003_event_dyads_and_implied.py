"""Events coded as dyads and with implied arguments: `events.group_local_id`, `actor_implied`,
`target_implied`, and the protest's `issue_*` span.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_local_id", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("actor_implied", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("target_implied", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("issue_start", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("issue_end", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("issue_text", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        for name in ("issue_text", "issue_end", "issue_start", "target_implied", "actor_implied", "group_local_id"):
            batch_op.drop_column(name)
