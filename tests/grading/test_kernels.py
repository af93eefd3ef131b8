"""Kernel managers and clients of the grading workers."""

import asyncio
import signal

import pytest
import zmq

from course.grading import kernels, limits


@pytest.fixture(autouse=True)
def runtime_dir(tmp_path, monkeypatch):
    """Connection files and sockets in the test's own folder (removed with it)."""
    monkeypatch.setitem(kernels._SETTINGS, "runtime_dir", tmp_path)


async def _started():
    manager = kernels.ZygoteKernelManager()  # no zygote installed: a kernel started as usual
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    return manager, client


async def _stop(manager, client):
    client.stop_channels()
    await manager.shutdown_kernel(now=True)


def test_the_client_is_ready_once_both_channels_answered_and_runs_code():
    async def scenario():
        manager, client = await _started()
        try:
            assert isinstance(client, kernels.ReadyKernelClient)
            assert client.shell_channel.socket.getsockopt(zmq.RECONNECT_IVL) == kernels.RECONNECT_INTERVAL_MS
            assert client.iopub_channel.socket.getsockopt(zmq.MAXMSGSIZE) == limits.current().message_bytes
            await client.wait_for_ready(timeout=60)
            request = client.execute("print(6 * 7)")
            texts = []
            while True:  # the first output that answers this request is the print
                message = await client.get_iopub_msg(timeout=30)
                if message["parent_header"].get("msg_id") != request:
                    continue
                if message["msg_type"] == "stream":
                    texts.append(message["content"]["text"])
                if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                    break
            assert "".join(texts) == "42\n"
        finally:
            await _stop(manager, client)

    asyncio.run(scenario())


def test_a_kernel_that_dies_before_answering_is_reported():
    async def scenario():
        manager, client = await _started()
        try:
            manager.provisioner.process.send_signal(signal.SIGKILL)
            manager.provisioner.process.wait()
            with pytest.raises(RuntimeError, match="died before replying"):
                await client.wait_for_ready(timeout=30)
        finally:
            await _stop(manager, client)

    asyncio.run(scenario())


def test_a_grading_kernel_is_told_not_to_grade_short_answers_and_the_grader_is_not(monkeypatch):
    import os
    import sys

    from course.shortanswer import RECORDS_ENV

    forked = {}

    class Zygote:
        def fork(self, argv, cwd, env):
            forked.update(env)
            return os.getpid()  # a process that exists, standing in for the kernel

    monkeypatch.setattr(kernels, "_ZYGOTE", Zygote())
    provisioner = kernels.ZygoteProvisioner(kernel_id="k", kernel_spec=None, parent=None)
    asyncio.run(provisioner.launch_kernel([sys.executable, *kernels.LAUNCHER_ARGS, "-f", "x.json"],
                                          env={"HOME": "/nowhere"}))
    assert forked == {"HOME": "/nowhere", RECORDS_ENV: "1"}
    assert RECORDS_ENV not in os.environ
