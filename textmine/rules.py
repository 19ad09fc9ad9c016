"""Old home of the rule tagger; it lives in :mod:`textmine.themes.rule_tagger`."""

from .themes.rule_tagger import RuleResult, RuleTagger

__all__ = ["RuleResult", "RuleTagger"]
