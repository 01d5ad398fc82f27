"""The web service: meetings, uploads, persistent jobs, users and the German web interface.

    web process (FastAPI, `app.py`)  --enqueue-->  queue engine (huey)  -->  worker (`worker.py`)
                 \\                                                          /
                  `------ database (SQLAlchemy; SQLite or PostgreSQL) -----'

The database is the record of meetings, recordings, jobs and users; the queue
only carries job ids. A job's stages checkpoint their results in its work folder
(`runner.py`), so a worker killed mid-job is replaced and the job resumes.
"""
