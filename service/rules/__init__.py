"""Per-outlet rule files: loaded, validated against the schema, compiled on RE2, reloaded
when the files change (see :mod:`service.rules.load`); ``rules check|explain|new`` in
:mod:`service.rules.cli`."""

from .load import (
    DEFAULT_RULES_DIR,
    RULES_DIR_ENV,
    Pattern,
    RuleError,
    RuleSet,
    current_rules,
    fixtures_dir,
    load_rule_file,
    load_rules,
    record_hits,
    rules_dir,
)

__all__ = [
    "DEFAULT_RULES_DIR", "RULES_DIR_ENV", "Pattern", "RuleError", "RuleSet", "current_rules",
    "fixtures_dir", "load_rule_file", "load_rules", "record_hits", "rules_dir",
]
