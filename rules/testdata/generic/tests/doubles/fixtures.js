const stubClientSecret = 'e4Xw9QzL2r7TbN5mKp8Vy3Hd';
const stubToken = 'stub';
