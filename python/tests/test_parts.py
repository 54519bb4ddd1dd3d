"""require_part: a missing real part skips a test on a developer's machine and fails it in CI."""

import pytest
from conftest import in_ci, require_part


def test_ci_is_read_from_the_environment():
    assert in_ci({"CI": "true"}) and in_ci({"CI": "1"})
    assert not in_ci({}) and not in_ci({"CI": ""}) and not in_ci({"CI": "false"})


def test_a_missing_part_skips_outside_ci():
    with pytest.raises(pytest.skip.Exception, match="sshd is missing"):
        require_part(False, "sshd", env={})


def test_a_missing_part_fails_in_ci():
    with pytest.raises(pytest.fail.Exception, match="CI=true, so this test may not skip, but sshd is missing"):
        require_part(False, "sshd", env={"CI": "true"})


def test_a_present_part_does_nothing():
    require_part(True, "sshd", env={"CI": "true"})
