rm vdsched.ini
