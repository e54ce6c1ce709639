from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# A goal or a description is a paragraph or a few; far more is a paste accident or abuse,
# and every page and API answer that shows it pays for it.
GOAL_MAX_LENGTH = 4000
DESCRIPTION_MAX_LENGTH = 4000


class TextLimitsMixin:
    """Refuse over-long text fields, named, wherever the model is validated.

    The limits live here, on the model, rather than as field options: `clean_fields` runs
    in every service (`full_clean`), model form and admin form alike, and the fields keep
    their migrated definition.
    """

    text_limits: dict[str, int] = {}

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        too_long = {
            field: f"Keep it to {limit} characters or fewer (it has {len(text)})."
            for field, limit in self.text_limits.items()
            if field not in exclude and len(text := getattr(self, field) or "") > limit
        }
        errors = {}
        try:
            super().clean_fields(exclude=exclude | set(too_long))
        except ValidationError as exc:
            errors = exc.error_dict
        if errors or too_long:
            raise ValidationError({**errors, **too_long})


class User(AbstractUser):
    """A person using ExPr; roles live on memberships, one per working group."""

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        # What every choice list (owner filters, owner and presenter fields) shows: the
        # full name tables use, not the login name.
        return self.display_name


class BusinessUnit(TextLimitsMixin, models.Model):
    """A stakeholder group: a business unit, engineering, data science…"""

    class Kind(models.TextChoices):
        BUSINESS = "business", "Business unit"
        ENGINEERING = "engineering", "Engineering"
        DATA_SCIENCE = "data_science", "Data science"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BUSINESS)
    description = models.TextField(blank=True)

    text_limits = {"description": DESCRIPTION_MAX_LENGTH}

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PROGRAM_MANAGER = "program_manager", "Program manager"
    STATISTICS_LEAD = "statistics_lead", "Statistics lead"
    MEMBER = "member", "Member"
    STAKEHOLDER = "stakeholder", "Stakeholder"
    ADMIN = "admin", "Admin"


class WorkingGroupQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WorkingGroupQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


class WorkingGroup(TextLimitsMixin, models.Model):
    """The cross-functional group that runs the program and meets every `cadence_days`."""

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    goal = models.TextField(help_text="What the group is aligned on achieving.")
    cadence_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(92)]
    )
    program_manager = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="managed_groups"
    )
    product_share_target = models.PositiveSmallIntegerField(
        default=70,
        validators=[MaxValueValidator(100)],
        help_text="Target share (%) of product-focused work; the rest is foundational.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()
    text_limits = {"goal": GOAL_MAX_LENGTH}

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def for_group(self, group: WorkingGroup) -> "MembershipQuerySet":
        return self.filter(working_group=group).select_related("user", "business_unit", "delegate")

    def visible_to(self, user) -> "MembershipQuerySet":
        return self.filter(working_group__in=WorkingGroup.objects.visible_to(user))


class Membership(models.Model):
    """A person's role in one working group, the business unit they speak for, and a delegate."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    delegate = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
        help_text="A member of the same group who may act for this person.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["working_group", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "working_group"], name="one_membership_per_user_and_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.working_group}"


class MembershipChange(models.Model):
    """Who changed a field that the role policy trusts (role, business unit), and when."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="membership_changes"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="membership_changes")
    field = models.CharField(max_length=40)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="membership_changes_made"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    FIELD_LABELS = {
        "role": "Role",
        "business_unit": "Business unit",
        "delegate": "Delegate",
        "program_manager": "Program manager",
    }

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.field}: {self.old_value!r} → {self.new_value!r}"

    @property
    def field_label(self) -> str:
        return self.FIELD_LABELS.get(self.field, self.field)


class ApiToken(models.Model):
    """A named API token; only its hash is stored, so the key is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The first characters of the key, to tell tokens apart in a list.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
