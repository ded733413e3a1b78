sed -i 's|^doctors *=.*|doctors    = doctors.xlsx#村医|' vdsched.ini
