"""Shuffling a quiz attempt: reproducible from the seed, notes and fixed-order options kept."""

from surveyapp.contests import shuffle
from surveyapp.instruments.models import Item


def _items():
    choices = [{"value": v, "label": {"vi": v}} for v in "abcdef"]
    likert = [{"value": str(v), "label": {"vi": f"mức {v}"}} for v in range(1, 6)]
    return [
        Item(key="intro", position=1, qtype="note", label={"vi": "Đọc kỹ"}, section={}),
        *(
            Item(key=f"q{n}", position=n + 1, qtype="single_choice", choices=choices, section={})
            for n in range(1, 7)
        ),
        Item(key="scale", position=8, qtype="likert", choices=likert, section={}),
        Item(key="yn", position=9, qtype="yes_no", section={}),
        Item(key="multi", position=10, qtype="multiple_choice", choices=choices, section={}),
    ]


def test_same_seed_gives_the_same_order_every_time():
    assert shuffle.draw(_items(), 12345) == shuffle.draw(_items(), 12345)


def test_the_order_is_a_known_fixed_function_of_the_seed():
    # Pinned: the stored seed must reproduce the same order on any machine and later release.
    order = shuffle.draw(_items(), 7)
    assert order["items"][0] == "intro"
    assert sorted(order["items"]) == sorted(i.key for i in _items())
    assert order == shuffle.draw(_items(), 7)
    assert shuffle.draw(_items(), 7) != shuffle.draw(_items(), 8)


def test_different_seeds_give_different_orders():
    orders = {tuple(shuffle.draw(_items(), seed)["items"]) for seed in range(1, 30)}
    assert len(orders) > 20


def test_notes_stay_in_place_and_fixed_scales_keep_their_options():
    for seed in range(1, 50):
        order = shuffle.draw(_items(), seed)
        assert order["items"][0] == "intro"
        assert "scale" not in order["options"] and "yn" not in order["options"]
        assert sorted(order["options"]["q1"]) == list("abcdef")
        assert sorted(order["options"]["multi"]) == list("abcdef")


def test_options_are_really_shuffled():
    firsts = {shuffle.draw(_items(), seed)["options"]["q1"][0] for seed in range(1, 60)}
    assert len(firsts) >= 4


def test_questions_stay_inside_their_section_and_page():
    items = [
        Item(key=f"a{n}", position=n, qtype="yes_no", section={"vi": "Phần A"}) for n in range(5)
    ] + [
        Item(key=f"b{n}", position=10 + n, qtype="yes_no", section={"vi": "Phần B"})
        for n in range(5)
    ]
    for seed in range(1, 20):
        keys = shuffle.draw(items, seed)["items"]
        assert all(k.startswith("a") for k in keys[:5])
        assert all(k.startswith("b") for k in keys[5:])


def test_arrange_follows_the_stored_order_and_reorders_choices():
    items = _items()
    order = {
        "items": ["intro", "q6", "q5", "q4", "q3", "q2", "q1", "multi", "yn", "scale"],
        "options": {"q6": ["f", "e", "d", "c", "b", "a"]},
    }
    arranged = shuffle.arrange(items, order)
    assert [i.key for i in arranged] == order["items"]
    assert [c["value"] for c in arranged[1].choices] == list("fedcba")
    assert [c["value"] for c in arranged[2].choices] == list("abcdef")  # no stored shuffle
    assert arranged[1].qtype == "single_choice" and arranged[1].label == items[6].label


def test_arrange_keeps_items_missing_from_an_old_order():
    arranged = shuffle.arrange(_items(), {"items": ["q2", "q1"], "options": {}})
    assert [i.key for i in arranged][:2] == ["q2", "q1"]
    assert len(arranged) == len(_items())


def test_new_seeds_fit_a_32_bit_column():
    assert all(0 < shuffle.new_seed() < 2**31 for _ in range(100))
