rm vdsched.ini && mkdir vdsched.ini
