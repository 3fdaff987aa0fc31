# English catalogue. Every catalogue must have exactly the keys of the reference (pt-BR).

## Navigation and common actions
nav-main = Main navigation
nav-workspace = Service desk
nav-admin = Administration
nav-users = Users
nav-contacts = Contacts
nav-history = History
nav-add-contact = Add contact
nav-profile = Edit profile
nav-logout = Sign out
language = Language
action-change = Change
action-back = Back
action-back-to-login = Back to sign-in
action-cancel = Cancel
action-save = Save
action-search = Search
pager = Pagination
pager-previous = Previous
pager-next = Next
pager-position = Page { $page } of { $pages }

## States and roles
status-online = Available
status-paused = On break
status-offline = Offline
role-admin = Administrator
role-agent = Agent

## Fields
field-name = Name
field-username = Username
field-email = Email
field-role = Role
field-phone = Phone
field-extension = Extension
field-password = Password
field-new-password = New password
field-current-password = Current password
field-password-confirm = Confirm password
field-allowed-networks = Allowed networks
field-required = Please fill in this field.
field-too-long = This text is too long.
field-invalid-characters = Contains characters that are not allowed.
form-has-errors = Please correct the highlighted fields.
username-hint = 3 to 40 characters: letters, numbers, dot, hyphen or underscore. It cannot be changed later.
username-immutable = the username cannot be changed
username-invalid = Use 3 to 40 characters: unaccented letters, numbers, dot, hyphen or underscore.
username-taken = This username is already taken.
email-invalid = Enter a valid email address, such as name@company.com.
email-taken = This email address already belongs to another account.
phone-digits = Use only digits and a phone number's punctuation (spaces, dashes, parentheses).
phone-invalid = Invalid number: enter the area code and number (and the country code, if it is another country's), for example (11) 98765-4321.
role-invalid = Choose Administrator or Agent.
networks-invalid = Enter networks in CIDR format, such as 192.168.0.0/24, one per line.
allowed-networks-hint = Leave blank to allow any network. One network per line, in CIDR format (e.g. 10.0.0.0/8).
last-admin = At least one active administrator must remain.
cannot-deactivate = This account cannot be deactivated: it is your own or the last active administrator.

## Passwords
password-rules = Your password must be 10 to 128 characters long, use at least two of letters, numbers and symbols, and must not contain your name, username or email.
password-too-short = Your password must be at least 10 characters long.
password-too-long = Your password can be at most 128 characters long.
password-too-simple = This password is too simple: mix letters with numbers or symbols.
password-contains-identity = Your password must not contain your name, username or email.
password-mismatch = The passwords do not match.
password-current-wrong = The current password is incorrect.

## Sign-in
login-title = Sign in
login-field-login = Email or username
login-field-password = Password
login-submit = Sign in
login-forgot = Forgot your password?
login-invalid = Incorrect email, username or password.
login-locked = Your sign-in is temporarily blocked. Wait a few minutes or ask an administrator to unblock it.
login-network-refused = Access is not allowed from this network. Contact an administrator.
login-inactive = This account is deactivated. Contact an administrator.
totp-login-title = Two-step verification
totp-login-help = Enter the 6-digit code from your authenticator app or one of your recovery codes.
totp-field-code = Code
totp-verify = Verify
totp-invalid = Invalid or already used code. Try the next code from the app.

## Forgot password / set password
forgot-title = Forgot your password?
forgot-help = Enter your account's email address. We'll send you a link to set a new password.
forgot-submit = Send link
forgot-sent-title = Check your email
forgot-sent-text = If an account exists with this address, we've sent a link to set a new password. The link is valid for a few minutes. If it doesn't arrive, check your spam folder or contact an administrator.
set-password-title = Set password
set-password-for = Account: { $account }
set-password-submit = Set password
link-invalid-title = This link can no longer be used
link-expired = This link has expired. For security, password links are valid for only a few minutes.
link-used = This link has already been used.
link-unknown = This link is not valid.
link-invalid-help = Request a new link by entering your email address.
link-invalid-setup-help = Initial setup has already been completed. Sign in with the administrator account that was created.
link-request-new = Request a new link

## Initial setup
setup-title = Create the first administrator
setup-help = This account will be able to set up teams, agents and all of the company's configuration. This link can only be used once.
setup-submit = Create administrator

## Email
mail-set-password-subject = { $company }: set your password
mail-set-password-body =
    Hello, { $name }!

    To access { $company }, set your password using the link below:

    { $link }

    The link is valid for { $minutes } minutes and can only be used once. If it expires, use "Forgot your password?" on the sign-in page.

    If you weren't expecting this message, please ignore it.

## Profile
profile-title = My profile
profile-identity = My details
profile-password = Change password
profile-password-submit = Change password
profile-saved-password = Password changed. Your other sessions on this account have been ended.
profile-saved-2fa-off = Two-step verification turned off.
profile-2fa = Two-step verification
profile-2fa-on = On
profile-2fa-off = Protect your account by requiring, in addition to your password, a code from an authenticator app on your phone.
profile-2fa-enable = Turn on two-step verification
profile-2fa-disable = Turn off
profile-2fa-recovery-left = Recovery codes left: { $count }
totp-enrol-title = Turn on two-step verification
totp-enrol-step-app = Install an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis…).
totp-enrol-step-scan = In the app, scan this QR code.
totp-enrol-qr = QR code for the authenticator app
totp-enrol-secret = No camera? Enter this key:
totp-enrol-step-code = Enter the 6-digit code shown in the app.
totp-enrol-confirm = Confirm
recovery-title = Recovery codes
recovery-enabled = Two-step verification turned on. Your other sessions on this account have been ended.
recovery-help = Keep these codes somewhere safe. Each one signs you in only once, in case you lose your phone. They will not be shown again.
recovery-done = I've saved the codes

## Administration
admin-overview = Overview
admin-stat-users = users
admin-recent-activity = Recent activity
audit-when = When
audit-who = Who
audit-action = Action
audit-from = From
audit-empty = No entries yet.
users-new = New user
users-new-help = The new user receives an email with a link to set their own password. If no email server is configured, you'll see the link so you can give it to them.
users-create = Create user
users-created = User { $name } created.
users-link-emailed = We've sent the link to set a password to { $email }.
users-link-handover = No email was sent (no email server is configured). Give this link to the user; it works only once and expires in a few minutes:
users-link-label = Link to set password
users-open = Open user
users-search-placeholder = Name, username or email
users-none = No users found.
users-state = Status
users-active = Active
users-inactive = Inactive
users-locked = Blocked
users-details = User details
users-security = Access and security
users-sessions = Open sessions
users-2fa-off = Off
users-2fa = 2FA
users-unlock = Unblock
users-unlock-end-sessions = Also end open sessions (if a break-in is suspected)
users-send-link = Send link to set password
users-force-logout = End sessions (force sign-out)
users-reset-2fa = Reset two-step verification
users-reset-2fa-confirm = Reset this user's two-step verification? Their sessions will be ended.
users-deactivate = Deactivate account
users-deactivate-confirm = Deactivate this account? Its sessions will be ended.
users-activate = Reactivate account
users-history = Account history
users-done-saved = Changes saved.
users-done-unlocked = User unblocked.
users-done-activated = Account reactivated.
users-done-deactivated = Account deactivated and sessions ended.
users-done-2fa-reset = Two-step verification reset and sessions ended.
users-done-logged-out = Sessions ended.

## Agent
agent-title = Service desk
agent-signed-in-as = Hello, { $name }!
agent-in-service = In progress
agent-waiting = Waiting
agent-pending = Pending
agent-none-in-service = No conversations in progress.
agent-none-waiting = No one in the queue.
agent-none-pending = No pending conversations.
agent-empty-pane = Select a conversation from the list to see its messages.

## Errors
error-go-home = Go to the home page
error-bad-request = We couldn't understand this request. Check the details and try again.
error-forbidden = You don't have permission to access this page, or the form has expired. Reload the page and try again.
error-not-found = Page not found.
error-too-large = The content you sent is too large.
error-unsupported-type = This type of content is not accepted here.
error-unprocessable = Some of the data you sent is not valid. Check the form and try again.
error-request = This request could not be served.
error-internal = Something went wrong on our end. Try again in a moment.
error-too-many-requests = Too many attempts. Try again in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }.

## Administration areas and permissions
area-teams = Teams
area-agents = Users and agents
area-groups = User groups
area-channels = Channels
area-flows = Service flows
area-schedules = Schedule groups
area-tabulations = Tabulations
area-word-filter = Word filter
area-pauses = Pauses
area-templates = Message templates
area-phrases = Canned phrases
area-tags = Tags
area-contact-fields = Contact fields
area-settings = Settings
area-reports = Reports: History of every team
area-reports-reasons = Reports: Contact reasons
area-reports-protocol = Reports: History by protocol
area-monitoring = Monitoring
area-audit = Audit log
action-view = View
action-create = Create
action-edit = Edit
action-delete = Delete
admin-no-permissions = Your administrator account does not belong to any user group yet. Ask a general administrator to add it to one.

## Administration forms
list-empty = Nothing here yet.
field-active = Active
field-out-of-range = Value outside the allowed range.
field-not-a-number = Enter a whole number.
field-bad-time = Enter a time as HH:MM, such as 08:30.
field-bad-color = Enter a colour as #rrggbb, such as #0f5fa8.
field-bad-web-address = Enter an address starting with https://, such as https://shop.example/logo.png.
name-taken = There is already an entry with this name.
confirm-delete = Delete "{ $name }"? This cannot be undone.
in-use = Cannot delete: it is in use. Deactivate it instead.
admin-notices = Notices
admin-notice-mark-read = Mark as read
list-no-results = No results for “{ $q }”.
area-reports-agents = Reports: Agents
area-reports-service-level = Reports: Service level
