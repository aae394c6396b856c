"""The pieces of the tracer link on their own: the run directory checks and datagram sealing."""
import os
import stat
import time

import pytest

from whatap import link_seal, rundir


def test_sealed_datagrams_open_only_once_with_the_right_key_and_fresh():
    key = os.urandom(32)
    sealer, opener = link_seal.Sealer(key), link_seal.Opener(key)
    sealed = sealer.seal(b"WTP1 datagram")
    assert b"WTP1" not in sealed and opener.open(sealed) == b"WTP1 datagram"
    assert opener.open(sealed) is None  # a replay within the window
    assert link_seal.Opener(os.urandom(32)).open(sealer.seal(b"x")) is None  # another home's key
    tampered = bytearray(sealer.seal(b"payload"))
    tampered[-1] ^= 1
    assert opener.open(bytes(tampered)) is None
    assert opener.open(sealer.seal(b"old", now=time.time() - 120)) is None  # stale
    assert opener.open(b"WTP1 a clear datagram of the old format") is None
    assert opener.rejected == 4  # replay, tampered, stale, clear


def test_a_forked_process_seals_with_new_nonces():
    sealer = link_seal.Sealer(os.urandom(32))
    first = sealer.seal(b"a")[4:16]
    sealer.pid = -1  # what a fork looks like to the sealer
    assert sealer.seal(b"a")[4:12] != first[:8]


def test_the_agent_makes_the_run_dir_0700_and_tightens_a_looser_one(tmp_path):
    notes = []
    os.close(rundir.prepare_for_agent(str(tmp_path), notes))
    assert stat.S_IMODE(os.stat(tmp_path / "run").st_mode) == 0o700 and notes == []
    os.chmod(tmp_path / "run", 0o755)
    os.close(rundir.prepare_for_agent(str(tmp_path), notes))
    assert stat.S_IMODE(os.stat(tmp_path / "run").st_mode) == 0o700
    assert "had mode 755: tightened to 0700" in notes[0]


def test_a_symlinked_run_dir_is_moved_aside_by_the_agent_and_refused_by_the_tracer(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    home = tmp_path / "home"
    home.mkdir()
    os.symlink(str(elsewhere), str(home / "run"))
    with pytest.raises(rundir.RunDirError, match="a symlink or a file"):
        rundir.open_for_tracer(str(home))
    notes = []
    os.close(rundir.prepare_for_agent(str(home), notes))
    assert "it is a symlink or a file, not a directory" in notes[0]
    assert os.path.isdir(home / "run") and not os.path.islink(home / "run")
    assert os.listdir(elsewhere) == []  # nothing was made through the link


def test_the_link_key_is_created_0600_and_a_loose_one_is_refused(tmp_path):
    home = str(tmp_path)
    fd = rundir.prepare_for_agent(home, [])
    try:
        notes = []
        key = rundir.agent_key(fd, home, notes)
        assert len(key) == 32 and "created" in notes[0]
        path = os.path.join(home, "run", "link.key")
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert rundir.read_key(fd, home)[0] == key and rundir.agent_key(fd, home, []) == key
        os.chmod(path, 0o644)
        with pytest.raises(rundir.RunDirError, match="group or others"):
            rundir.read_key(fd, home)
        renewed = rundir.agent_key(fd, home, notes)  # the agent replaces a key others may have read
        assert renewed != key and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    finally:
        os.close(fd)
