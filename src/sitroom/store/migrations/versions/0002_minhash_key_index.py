"""Near-duplicate candidates are looked up by band key alone: index `minhash_bands.key`.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("minhash_bands", schema=None) as batch_op:
        batch_op.drop_index("ix_minhash_bands_band_key")
        batch_op.create_index(batch_op.f("ix_minhash_bands_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("minhash_bands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minhash_bands_key"))
        batch_op.create_index("ix_minhash_bands_band_key", ["band", "key"], unique=False)
