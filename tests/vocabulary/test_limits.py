"""Token buckets: a burst, then an even trickle; several buckets are taken all or none."""

from __future__ import annotations

import pytest
import redis

from vocabulary.limits import Bucket, Limiter, Rate


def test_rates_read_as_people_write_them() -> None:
    assert Rate.parse("3/10m") == Rate(3, 600.0)
    assert Rate.parse("20/1h") == Rate(20, 3600.0)
    assert Rate.parse("10/m").interval_ms == 6000
    for bad in ("3", "0/1m", "three/1m", "3/1w"):
        with pytest.raises(ValueError, match="expected <count>/<period>"):
            Rate.parse(bad)


def test_in_memory_buckets_refill_evenly() -> None:
    now = [1000.0]
    limiter = Limiter(None, clock=lambda: now[0])
    bucket = [Bucket("p", Rate.parse("3/1m"))]
    assert [limiter.take(bucket).allowed for _ in range(4)] == [True, True, True, False]
    assert limiter.take(bucket).wait_seconds == pytest.approx(20)
    now[0] += 20
    assert limiter.take(bucket).allowed and not limiter.take(bucket).allowed


@pytest.mark.redis
def test_redis_buckets_take_from_all_or_none(redis_url: str) -> None:
    limiter = Limiter(redis.Redis.from_url(redis_url))
    person = Bucket("crew:person:1", Rate.parse("5/1h"))
    workspace = Bucket("crew:workspace:1", Rate.parse("2/1h"))
    verdicts = [limiter.take([person, workspace]) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, False, False]
    assert verdicts[2].full == "crew:workspace:1" and verdicts[2].wait_seconds > 1700
    # The person's bucket lost nothing to the refusals: three more on their own.
    assert [limiter.take([person]).allowed for _ in range(4)] == [True, True, True, False]
    assert limiter.first_notice("crew:1", 60) and not limiter.first_notice("crew:1", 60)


@pytest.mark.redis
def test_parallel_takers_never_share_the_last_token(redis_url: str) -> None:
    """Twenty workers at once (each its own connection) on a bucket of five: five get through."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    bucket = [Bucket("crew:workspace:7", Rate.parse("5/1h"))]
    barrier = Barrier(20)

    def take(_: int) -> bool:
        limiter = Limiter(redis.Redis.from_url(redis_url))
        barrier.wait(timeout=10)
        return limiter.take(bucket).allowed

    with ThreadPoolExecutor(max_workers=20) as pool:
        allowed = list(pool.map(take, range(20)))
    assert allowed.count(True) == 5
