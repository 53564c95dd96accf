"""The newsroom's four roles and what each may do. Pure data, no Django imports:
the migration that creates the groups and the tests read the same lists."""

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"
EDITOR_IN_CHIEF = "Tổng biên tập"
ADMINISTRATOR = "Quản trị"

# (app label, model, codename). A reporter's "add" lets them edit only the
# articles they own (permissions.ArticlePermissionPolicy); "change" is any article.
_ADMIN_ACCESS = [("wagtailadmin", "admin", "access_admin")]
_IMAGES = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
]
_REPORTER = [
    *_ADMIN_ACCESS,
    *_IMAGES,
    ("news", "article", "add_article"),
    ("news", "author", "add_author"),
    ("videos", "video", "add_video"),
]
_EDITOR = [
    *_REPORTER,
    ("news", "article", "change_article"),
    ("news", "article", "lock_article"),
    ("news", "author", "change_author"),
    ("videos", "video", "change_video"),
    ("wagtailimages", "image", "change_image"),
]
_EDITOR_IN_CHIEF = [
    *_EDITOR,
    ("news", "article", "publish_article"),
    ("news", "article", "unlock_article"),
    ("news", "article", "withdraw_article"),
]
_ADMINISTRATOR = [
    *_ADMIN_ACCESS,
    ("auth", "user", "add_user"),
    ("auth", "user", "change_user"),
    ("auth", "user", "delete_user"),
    ("auth", "group", "change_group"),
    ("core", "presssettings", "change_presssettings"),
    ("accounts", "accountsecuritysettings", "change_accountsecuritysettings"),
    ("wagtailcore", "workflow", "add_workflow"),
    ("wagtailcore", "workflow", "change_workflow"),
    ("wagtailcore", "task", "add_task"),
    ("wagtailcore", "task", "change_task"),
]

ROLE_PERMISSIONS = {
    REPORTER: _REPORTER,
    EDITOR: _EDITOR,
    EDITOR_IN_CHIEF: _EDITOR_IN_CHIEF,
    ADMINISTRATOR: _ADMINISTRATOR,
}

WORKFLOW_NAME = "Duyệt bài hai cấp"
# (task name, group that approves it), in order.
WORKFLOW_TASKS = [
    ("Biên tập viên duyệt", EDITOR),
    ("Tổng biên tập duyệt đăng", EDITOR_IN_CHIEF),
]
