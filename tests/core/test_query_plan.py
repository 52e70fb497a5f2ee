"""core.query_plan: a planner setting turned off for the queries inside, and back after."""

import pytest
from django.db import connection

from core.query_plan import planner_without

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's settings are PostgreSQL's"
)


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@needs_postgresql
def test_the_settings_are_off_inside_and_as_before_after():
    assert setting("enable_hashjoin") == "on"
    with planner_without("default", "enable_hashjoin", "jit"):
        assert (setting("enable_hashjoin"), setting("jit")) == ("off", "off")
        assert setting("enable_mergejoin") == "on"
    assert setting("enable_hashjoin") == "on"


@needs_postgresql
def test_nested_on_the_same_setting_the_outer_block_keeps_it_off():
    with planner_without("default", "enable_hashjoin"):
        with planner_without("default", "enable_hashjoin", "jit"):
            assert (setting("enable_hashjoin"), setting("jit")) == ("off", "off")
        assert (setting("enable_hashjoin"), setting("jit")) == ("off", "on")
    assert setting("enable_hashjoin") == "on"


@needs_postgresql
def test_the_settings_come_back_when_the_block_raises():
    with pytest.raises(RuntimeError), planner_without("default", "enable_seqscan"):
        raise RuntimeError("a query inside failed")
    assert setting("enable_seqscan") == "on"


def test_it_refuses_a_name_it_does_not_know():
    with (
        pytest.raises(ValueError, match="not a planner setting"),
        planner_without("default", "statement_timeout; DROP TABLE x"),
    ):
        pass
