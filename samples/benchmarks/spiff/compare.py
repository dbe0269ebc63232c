"""The same lifecycle as `gapflow-bench suite` on SpiffWorkflow (BPMN), with the same durability: the workflow's
state serialised to SQLite (WAL, synchronous=FULL) in its own transaction after every step.

    python compare.py TICKETS DATABASE      prints {"commands": N, "seconds": S}
"""
import json
import sqlite3
import sys
import time
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState


def main():
    tickets, database = int(sys.argv[1]), sys.argv[2]
    parser = BpmnParser()
    parser.add_bpmn_file(str(Path(__file__).with_name("kim-lifecycle.bpmn")))
    spec = parser.get_spec("kim")
    serializer = BpmnWorkflowSerializer()
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS workflows(id INTEGER PRIMARY KEY, state TEXT NOT NULL)")
    commands = 0
    started = time.perf_counter()
    for ticket in range(tickets):
        workflow = BpmnWorkflow(spec)
        workflow.do_engine_steps()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO workflows(id, state) VALUES(?, ?)", (ticket, serializer.serialize_json(workflow)))
        db.execute("COMMIT")
        commands += 1
        while not workflow.is_completed():
            ready = workflow.get_tasks(state=TaskState.READY)
            if not ready:
                break
            ready[0].run()
            workflow.do_engine_steps()
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE workflows SET state = ? WHERE id = ?", (serializer.serialize_json(workflow), ticket))
            db.execute("COMMIT")
            commands += 1
    print(json.dumps({"commands": commands, "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
