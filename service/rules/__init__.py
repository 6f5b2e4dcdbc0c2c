"""Per-outlet rule files: loaded, validated against the schema, compiled on RE2, reloaded
when the files change (see :mod:`service.rules.load`); ``rules check|explain|new`` in
:mod:`service.rules.cli`."""

from .book import RuleBook, SignalSet
from .load import (
    DEFAULT_RULES_DIR,
    RULES_DIR_ENV,
    current_rules,
    load_rule_file,
    load_rules,
    rules_dir,
)
from .model import (
    CaptionRule,
    RepeatRule,
    RuleError,
    RuleSet,
    SectionRule,
    SubheadRule,
    TextRules,
    TitleRule,
)
from .patterns import Pattern, record_hits

__all__ = [
    "DEFAULT_RULES_DIR", "RULES_DIR_ENV", "CaptionRule", "Pattern", "RepeatRule", "RuleBook",
    "RuleError", "RuleSet", "SectionRule", "SignalSet", "SubheadRule", "TextRules",
    "TitleRule", "current_rules", "load_rule_file", "load_rules", "record_hits", "rules_dir",
]
