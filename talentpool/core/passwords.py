from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Require letters and digits in every password (the office's own security rule)."""

    def validate(self, password: str, user: object = None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_digit = any(c.isdigit() for c in password)
        if not (has_letter and has_digit):
            raise ValidationError(_("The password must contain both letters and digits."), code="password_classes")

    def get_help_text(self) -> str:
        return _("Your password must contain both letters and digits.")
