sed -i 's|^doctors *=.*|doctors    = doctors.xlsx#医生|' vdsched.ini
