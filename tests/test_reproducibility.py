"""Same seed, same bytes and the same record, checked the strict way: the two draws run in
separate processes with different PYTHONHASHSEED, so an op whose output depends on string
hashing (set or dict order of words), object ids or anything left over in the process fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from augmenters import registry

from .cli_helpers import REPO_ROOT

# One process: every registered op on every contract input at (seed 11, index 3), one digest
# per op over the output bytes and the record as JSON (key order included).
DIGESTS = r"""
import hashlib, json
import numpy as np
from augmenters import Pipeline, registry
from augmenters.pipeline import Step
from tests.contract_cases import CONTRACT_SETTINGS, inputs_for, partner_for

digests = {}
for name in registry.names():
    aug = registry.get(name)
    overrides = CONTRACT_SETTINGS[name](None) if name in CONTRACT_SETTINGS else {}
    pipeline = Pipeline([Step(op=name, p=1.0, settings=aug.validate_settings(overrides))], name="only_" + name)
    digest = hashlib.sha256()
    for kind, data in inputs_for(aug.modality).items():
        partners = [partner_for(data)] if pipeline.needs_partner else None
        out, record = pipeline(data, seed=11, index=3, partners=partners, label="a")
        if isinstance(out, np.ndarray):
            digest.update(repr((kind, out.shape, str(out.dtype))).encode() + out.tobytes())
        else:
            digest.update(repr((kind, out)).encode())
        digest.update(json.dumps(record).encode())
    digests[name] = digest.hexdigest()
print(json.dumps(digests))
"""


@pytest.fixture(scope="module")
def digests_by_process(tiny_models_dir):
    """{PYTHONHASHSEED: {op: digest}} from two processes run side by side."""
    runs = {}
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO_ROOT), "AUGPLAY_MODELS_DIR": str(tiny_models_dir)}
        runs[hash_seed] = subprocess.Popen(
            [sys.executable, "-c", DIGESTS], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    results = {}
    for hash_seed, process in runs.items():
        stdout, stderr = process.communicate(timeout=900)
        assert process.returncode == 0, stderr[-3000:]
        results[hash_seed] = json.loads(stdout.strip().splitlines()[-1])
    return results


def test_both_processes_ran_every_op(digests_by_process):
    for digests in digests_by_process.values():
        assert sorted(digests) == registry.names()


@pytest.mark.parametrize("name", registry.names())
def test_same_seed_same_output_and_record_across_processes(name, digests_by_process):
    assert digests_by_process["1"][name] == digests_by_process["2"][name], f"{name} differs between processes"
