"""The cap on a cell's output: in the worker (what it keeps) and in the kernel (what it sends)."""

import asyncio

from jupyter_client.manager import AsyncKernelManager

from course.grading import limits, output_limit
from course.grading.output_limit import CellOutputBudget


def _message(msg_type, **content):
    return {"msg_type": msg_type, "content": content}


def test_the_size_of_an_output_counts_its_text_and_every_representation():
    assert output_limit.content_size({"name": "stdout", "text": "abc"}) == 3
    assert output_limit.content_size({"data": {"text/plain": "ab", "application/json": {"k": 1}}}) == 2 + 8


def test_the_worker_keeps_outputs_up_to_its_limit_then_a_single_notice():
    budget = CellOutputBudget(limit=10)
    assert budget.admit(_message("stream", name="stdout", text="12345"))
    assert budget.admit(_message("display_data", data={"text/plain": "12345"}))
    assert not budget.admit(_message("stream", name="stdout", text="6"))
    assert budget.notice().text == output_limit.notice()
    assert budget.notice() is None
    assert not budget.admit(_message("execute_result", data={"text/plain": "7"}))


def test_errors_are_always_kept_with_their_text_clipped():
    budget = CellOutputBudget(limit=0)
    huge = "e" * 2 * limits.current().error_text_chars
    error = _message("error", ename="ValueError", evalue=huge, traceback=["short", huge])
    assert budget.admit(error)
    content = error["content"]
    assert content["ename"] == "ValueError" and content["traceback"][0] == "short"
    assert len(content["evalue"]) < len(huge) and content["evalue"].endswith("(truncated by the grader)")
    assert content["traceback"][1] == content["evalue"]


async def _run(client, code: str) -> list[dict]:
    """The output messages ``code`` sends, once the kernel is idle again."""
    request = client.execute(code)
    outputs = []
    while True:
        message = await client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != request:
            continue
        if message["msg_type"] in ("stream", "display_data", "execute_result", "error"):
            outputs.append(message)
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return outputs


def _text(outputs) -> str:
    return "".join(m["content"].get("text", "") for m in outputs)


def test_a_kernel_sends_at_most_its_limit_each_execution_and_keeps_no_more_in_history():
    async def scenario():
        manager = AsyncKernelManager(kernel_name="python3")
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            await _run(client, "from course.grading import output_limit\n"
                               "output_limit.limit_kernel_output(get_ipython(), limit=1000)")
            for _ in range(5):  # output under the limit arrives whole, execution after execution
                assert _text(await _run(client, "print('z' * 899)")) == "z" * 899 + "\n"

            flood = await _run(client, "for _ in range(100):\n    print('x' * 99)")
            assert _text(flood) == ("x" * 99 + "\n") * 10 + output_limit.notice(1000)
            history = await _run(client, "outputs = get_ipython().history_manager.outputs\n"
                                         "print(len(''.join(''.join(o.bundle['stream']) for o in outputs[7])))")
            assert int(_text(history)) <= 1000 + len(output_limit.notice(1000))

            shown = await _run(client, "from IPython.display import display\n"
                                       "for _ in range(10):\n    display('y' * 300)")
            assert [m["msg_type"] for m in shown] == ["display_data"] * 3 + ["stream"]
            assert _text(shown) == output_limit.notice(1000)
            result = await _run(client, "'r' * 2000")
            assert [m["msg_type"] for m in result] == ["stream"] and _text(result) == output_limit.notice(1000)
            assert [m["msg_type"] for m in await _run(client, "'r' * 20")] == ["execute_result"]
            assert _text(await _run(client, "print('next cell')")) == "next cell\n"
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    asyncio.run(scenario())


def test_the_grading_executor_drops_what_a_kernel_sends_past_the_budget():
    from course.grading.kernels import GradingExecute

    executor = GradingExecute()
    executor.clear_before_next_output = False  # set by nbclient as each cell starts
    executor.budget = CellOutputBudget(limit=5)
    outs: list = []
    for text in ("123", "45", "6", "7"):
        message = {"msg_type": "stream", "header": {"msg_type": "stream"}, "parent_header": {},
                   "content": {"name": "stdout", "text": text}}
        executor.output(outs, message, None, 0)
    assert [out.get("text") for out in outs] == ["123", "45", output_limit.notice()]
