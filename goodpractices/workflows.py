"""What happens when a review workflow is approved (`WAGTAIL_FINISH_WORKFLOW_ACTION`).

Imported by `wagtail.models` while it loads: import nothing from Wagtail at module level."""


def publish_workflow_state(workflow_state, user=None):
    """Publish the approved revision. For a practice approved in a regional review, the
    approval is the permission: the task has checked that USER is a coordinator of the
    practice's hub (or an editor), who need no page publish permission of their own.
    Everything else is published as Wagtail does it, with Wagtail's permission check."""
    from wagtail.models import TaskState
    from wagtail.workflows import publish_workflow_state as wagtail_publish_workflow_state

    from .models import HubCoordinatorReviewTask

    task_state = workflow_state.current_task_state
    approved_here = (
        task_state is not None
        and task_state.status == TaskState.STATUS_APPROVED
        and isinstance(task_state.task.specific, HubCoordinatorReviewTask)
    )
    if not approved_here:
        return wagtail_publish_workflow_state(workflow_state, user=user)
    revision = workflow_state.content_object.get_latest_revision()
    return revision.publish(user=user, skip_permission_checks=True)
