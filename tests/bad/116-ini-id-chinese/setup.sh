# the site named in Chinese, and referred to by that name; one message only
sed -i 's#^\[site hospital\]#[site 县医院]#; s#^sites = hospital#sites = 县医院#' vdsched.ini
