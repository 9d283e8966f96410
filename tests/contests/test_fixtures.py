from surveyapp.contests.students import team_of


def test_world_builds_and_team_lookup_works(world):
    team_a, _ = world["teams"]
    assert team_of(world["pupils_a"][0], world["contest"].id) == team_a
    assert team_of(world["pupils_b"][0], world["contest"].id) == world["teams"][1]
    assert not world["pupils_a"][0].may_publish_name
