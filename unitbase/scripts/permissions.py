"""Who may read and change scripts and the breakdown (an open decision: see docs/breakdown.md).

Reading (script, scenes, breakdown, sheets) is open to every member (view_production, which the
default matrix gives every role, cast and crew included). Importing a draft and locking scene
numbers use edit_production; tagging, suggestions and element management use change_schedule
(the 1st AD and the production managers), until the matrix gets actions of its own.
"""

from unitbase.productions.authority import Action

READ_ACTION = Action.VIEW_PRODUCTION
UPLOAD_ACTION = Action.EDIT_PRODUCTION
BREAKDOWN_ACTION = Action.CHANGE_SCHEDULE
