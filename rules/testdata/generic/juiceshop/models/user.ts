export class UserModel extends Model {
  declare password: CreationOptional<string>
}
UserModel.init({
  password: Sequelize.STRING,
  deluxeToken: DataTypes.STRING
})
