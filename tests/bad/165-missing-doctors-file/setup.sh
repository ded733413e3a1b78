rm doctors.csv
