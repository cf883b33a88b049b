"""Every page of the app, with the action from the role matrix a user needs to open it.

app.py builds the navigation from this table (a role sees only its pages), and each page
checks the same action itself, so a page reached some other way refuses too.
"""

#: (section, file, title, icon, url path, the action a role needs to see the page)
PAGES = [
    ("", "pages/home.py", "Today", "🏠", "", "read_contacts"),
    ("People", "pages/people.py", "People", "👥", "people", "read_contacts"),
    ("People", "pages/person.py", "Person", "🪪", "person", "read_contacts"),
    ("People", "pages/my_tasks.py", "My tasks", "✅", "tasks", "read_contacts"),
    ("People", "pages/add_person.py", "Add a person", "➕", "add-person", "edit_people"),
    ("People", "pages/bulk_edit.py", "Edit many", "✏️", "edit-people", "edit_people"),
    ("Members", "pages/renewals.py", "Renewals", "🔁", "renewals", "read_giving"),
    ("Members", "pages/membership_health.py", "Membership health", "📈", "membership-health",
     "read_reports"),
    ("Giving", "pages/gift_entry.py", "Enter a gift", "🎁", "gift", "enter_gifts"),
    ("Giving", "pages/gift_batch.py", "Batch entry", "🧾", "gift-batch", "enter_gifts"),
    ("Giving", "pages/fundraising.py", "Fundraising", "📊", "fundraising", "read_reports"),
    ("Giving", "pages/campaigns.py", "Campaigns", "🎯", "campaigns", "read_giving"),
    ("Giving", "pages/campaign.py", "Campaign", "🏷️", "campaign", "read_giving"),
    ("Giving", "pages/recurring.py", "Recurring gifts", "🔄", "recurring", "read_giving"),
    ("Giving", "pages/acknowledgments.py", "Thank-yous", "💌", "acknowledgments",
     "read_giving"),
    ("Mail", "pages/appeals.py", "Appeals", "✉️", "appeals", "read_mail"),
    ("Mail", "pages/mailing.py", "Appeal", "📨", "appeal", "read_mail"),
    ("Volunteers", "pages/log_hours.py", "Log hours", "⏱️", "log-hours", "log_hours"),
    ("Volunteers", "pages/shifts.py", "Shifts", "📅", "shifts", "read_volunteering"),
    ("Volunteers", "pages/volunteers.py", "Volunteers", "🙋", "volunteers",
     "read_volunteering"),
    ("Volunteers", "pages/volunteer_report.py", "Volunteer report", "📊", "volunteer-report",
     "read_reports"),
    ("Data", "pages/data_health.py", "Data problems", "🩺", "data-problems", "read_contacts"),
    ("Data", "pages/duplicates.py", "Duplicates", "👯", "duplicates", "edit_giving"),
    ("Data", "pages/import_data.py", "Import", "📤", "import", "import_data"),
    ("Data", "pages/export.py", "Export", "📥", "export", "download"),
    ("Admin", "pages/audit_log.py", "Audit log", "📜", "audit-log", "browse_audit"),
    ("Admin", "pages/users.py", "Users", "🔑", "users", "manage_users"),
    ("Admin", "pages/settings.py", "Settings", "⚙️", "settings", "manage_settings"),
]
