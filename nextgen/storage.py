"""Static files storage for production (`make serve`, NEXTGEN_STATIC_MANIFEST=1)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keep(pattern) -> bool:
        regex = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in regex

    return tuple((ext, tuple(p for p in group if keep(p))) for ext, group in patterns)


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, pre-compressed files, without following source-map comments:
    the vendored USWDS files name .map files that are not shipped, and collectstatic
    would otherwise stop at the first one. url() and @import references are still
    rewritten (and still must exist)."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
