import factory

from apps.accounts.models import BusinessUnit, Membership, Role, User, WorkingGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-for-tests-1")


class BusinessUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessUnit

    name = factory.Sequence(lambda n: f"Unit {n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        # The hook below writes a membership, not the group: no second save of the group.
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    goal = "Learn faster than the competition."
    program_manager = factory.SubFactory(UserFactory)

    @factory.post_generation
    def pm_membership(group, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(
                user=group.program_manager,
                working_group=group,
                defaults={"role": Role.PROGRAM_MANAGER},
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    working_group = factory.SubFactory(WorkingGroupFactory)
    role = Role.MEMBER
