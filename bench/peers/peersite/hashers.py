"""Argon2id with the parameters NextGen's settings use (bench/run.py passes them)."""

import os

from django.contrib.auth.hashers import Argon2PasswordHasher


class BenchArgon2Hasher(Argon2PasswordHasher):
    time_cost = int(os.environ.get("PEER_ARGON2_TIME_COST", "2"))
    memory_cost = int(os.environ.get("PEER_ARGON2_MEMORY_KIB", "19456"))
    parallelism = int(os.environ.get("PEER_ARGON2_PARALLELISM", "1"))
