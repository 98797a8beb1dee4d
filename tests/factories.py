"""factory_boy factories shared by every app's tests."""

from decimal import Decimal

import factory
from django.apps import apps
from django.contrib.auth import get_user_model

from unitbase.people.models import CastMember, CrewMember, Person
from unitbase.productions.authority import Role
from unitbase.productions.models import Department, Membership, Position, Production
from unitbase.productions.services import authority_matrix_reset, production_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_production(title: str = "Test Feature", owner=None, **kwargs) -> Production:
    """A production made the way users make one: through the service (units, departments, matrix)."""
    owner = owner or UserFactory()
    return production_create(actor=owner, title=title, **kwargs)


class ProductionFactory(factory.django.DjangoModelFactory):
    """A bare production with the default authority matrix but no members."""

    class Meta:
        model = Production
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Production {n}")

    @factory.post_generation
    def matrix(obj, create, extracted, **kwargs):
        if create:
            authority_matrix_reset(production=obj)


def department(production: Production, name: str = "Camera") -> Department:
    return Department.objects.get_or_create(production=production, name=name)[0]


def member(production: Production, role: str = Role.CREW, user=None, department_name: str | None = None) -> Membership:
    user = user or UserFactory()
    dept = department(production, department_name) if department_name else None
    return Membership.objects.create(production=production, user=user, role=role, department=dept)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    production = factory.SubFactory(ProductionFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    phone = "+1 555 0100"


class CrewMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrewMember

    production = factory.SubFactory(ProductionFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(production=o.production))
    department = factory.LazyAttribute(lambda o: department(o.production, "Camera"))
    position = factory.LazyAttribute(
        lambda o: Position.objects.get_or_create(production=o.production, department=o.department, name="1st AC")[0]
    )
    rate_amount = Decimal("2500.00")
    rate_currency = "USD"
    rate_unit = "week"


class CastMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CastMember

    production = factory.SubFactory(ProductionFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(production=o.production))
    character = factory.Sequence(lambda n: f"CHARACTER {n}")
    cast_number = factory.Sequence(lambda n: n + 1)
    rate_amount = Decimal("1100.00")
    rate_unit = "day"


def database_state() -> dict:
    """Every row of every model, with its last change where it has one: a denied write must leave
    both untouched."""
    state = {}
    for model in apps.get_models():
        manager = model._default_manager
        fields = {f.name for f in model._meta.concrete_fields}
        state[model._meta.label] = sorted(manager.values_list("pk", "updated_at")) if "updated_at" in fields \
            else manager.count()
    return state
