# a file named in attendance = that is not there (a typo in the name)
sed -i 's/^\[program\]/[program]\nattendance = 签到.csv/' vdsched.ini
