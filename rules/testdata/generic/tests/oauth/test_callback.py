auth_code = '3ZdXn_wP645LvuUi_lue0kdO_ZmxgAEwuF0Cn1JP'
auth_code = request.args.get('code')
