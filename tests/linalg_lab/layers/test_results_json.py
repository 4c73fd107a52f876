"""Every layers result's to_dict() is strict JSON matching the schema derived from its dataclass."""
import json

import jsonschema
import numpy as np

import linalg_lab.layers as L
from linalg_lab._results import json_schema


def test_results_match_their_schema(rng):
    K = rng.standard_normal((3, 2, 3, 3))
    Z = np.zeros((2, 1, 2, 2))
    Z[0, 0] = 1.0  # channel 1 has no response: convnorm fails with NaN norms (null in JSON)
    results = [L.conv_singular_values(K, 5), L.conv_norm(K, 5, padding="valid"), L.clip_conv_norm(K, 5),
               L.spectral_normalize(K, seed=0), L.spectral_normalize(np.ones(3)), L.sn_gap(K, 5),
               L.sn_gap(K, 5, padding="zeros", stride=3), L.convnorm(K, 5), L.convnorm(Z, 4),
               L.lipschitz_bound([L.Dense(rng.standard_normal((3, 4)))])]
    for r in results:
        d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
        jsonschema.validate(d, json_schema(type(r)))
        assert d["rigour"] in ("numerical", "probabilistic", "high-precision reference", "certified")
