"""Background jobs: one `Job` row per piece of slow or outside work (a Crossref fetch, a
rescore, mail), so an editor sees it queued, running, done or failed with a reason. The work
itself is a Celery task beside its domain (`<app>/tasks.py`); `services.enqueue` starts one and
`services.job_task` moves its row along."""
