"""The rules: one module per diagnostic code, each exporting a :class:`~mockls.rules.rule.Rule`."""

from __future__ import annotations

from mockls.rules import (
    async_call_not_awaited,
    class_instead_of_instance,
    ineffective_patch,
    invalid_patch_arguments,
    misspelled_assert,
    misspelled_mock_attribute,
    patch_argument_order,
    patch_not_active,
    patcher_not_stopped,
    property_needs_propertymock,
    read_at_import,
    reset_by_assignment,
    signature_mismatch,
    unresolved_patch_target,
)
from mockls.rules.rule import Rule, RuleContext

__all__ = ["ALL_RULES", "RULES_BY_CODE", "Rule", "RuleContext"]

ALL_RULES: tuple[Rule, ...] = (
    unresolved_patch_target.RULE,
    ineffective_patch.RULE,
    signature_mismatch.RULE,
    misspelled_assert.RULE,
    misspelled_mock_attribute.RULE,
    patch_argument_order.RULE,
    patcher_not_stopped.RULE,
    invalid_patch_arguments.RULE,
    reset_by_assignment.RULE,
    patch_not_active.RULE,
    property_needs_propertymock.RULE,
    read_at_import.RULE,
    class_instead_of_instance.RULE,
    async_call_not_awaited.RULE,
)
"""Every rule, in the order their findings are listed for one place."""

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
